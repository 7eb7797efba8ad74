// A workbench page's tabs: links in a labelled navigation, the current one marked for assistive
// technology (`?tab=key`; the first tab, key '', is the page itself).
import { Link } from 'react-router';

export function TabNav({ label, base, tabs, current }: { label: string; base: string; tabs: readonly (readonly [string, string])[]; current: string }) {
  return (
    <nav aria-label={label} className="sup-tabs">
      <ul role="list">
        {tabs.map(([k, name]) => (
          <li key={k}>
            <Link to={k ? `?tab=${k}` : base} aria-current={current === k ? 'page' : undefined}>
              {name}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
