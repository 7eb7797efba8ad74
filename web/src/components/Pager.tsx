// 上一页 / 下一页 under a paged list: shown only when there is a page to go to, in a labelled
// navigation region, large on the public pages.
export function Pager({ page, pageSize, total, onGo, label = '翻页', big = false }: {
  page: number; pageSize: number; total: number; onGo: (page: number) => void; label?: string; big?: boolean;
}) {
  if (total <= pageSize) return null;
  const cls = `button button-secondary${big ? ' button-big' : ''}`;
  return (
    <nav className="button-row" aria-label={label}>
      {page > 1 && (
        <button type="button" className={cls} onClick={() => onGo(page - 1)}>
          上一页
        </button>
      )}
      {page * pageSize < total && (
        <button type="button" className={cls} onClick={() => onGo(page + 1)}>
          下一页
        </button>
      )}
    </nav>
  );
}
