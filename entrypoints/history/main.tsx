import '../../components/theme.css';
import '../../components/history/history.css';
import { render } from 'preact';
import { HistoryApp } from '../../components/history/HistoryApp';

const root = document.getElementById('app');
if (root) render(<HistoryApp />, root);
