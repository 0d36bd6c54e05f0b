import '../../components/theme.css';
import '../../components/confirm/confirm.css';
import { render } from 'preact';
import { ConfirmApp } from '../../components/confirm/ConfirmApp';

const promptId = location.hash.slice(1);
const root = document.getElementById('app');
if (root) render(<ConfirmApp promptId={promptId} />, root);
