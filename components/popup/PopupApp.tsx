export function PopupApp() {
  return (
    <main class="sp-popup">
      <h1>SafePause</h1>
      <p class="sp-hint">
        No pauses yet. Open TikTok Ads Manager and use the Pause button next to a campaign, ad group or ad: SafePause
        asks you to confirm, sends the pause to TikTok, and keeps checking until TikTok confirms it.
      </p>
    </main>
  );
}
