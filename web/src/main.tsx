import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { applyPrefs, loadPrefs } from './prefs.tsx';
import './styles.css';

// Apply remembered display settings before the first paint.
applyPrefs(loadPrefs());

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
