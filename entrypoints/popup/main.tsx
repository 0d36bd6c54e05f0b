import '../../components/theme.css';
import '../../components/popup/popup.css';
import { render } from 'preact';
import { PopupApp } from '../../components/popup/PopupApp';

const root = document.getElementById('app');
if (root) render(<PopupApp />, root);
