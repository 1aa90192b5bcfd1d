import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';

/** A page's heading and the document title, so a tab and a screen reader both say where you are. */
export const Page = ({
  title,
  actions,
  children,
}: {
  title: string;
  actions?: ComponentChildren;
  children: ComponentChildren;
}) => {
  useEffect(() => {
    document.title = `${title} · Ferry`;
  }, [title]);
  return (
    <section class="page" aria-labelledby="page-title">
      <header class="page-header">
        <h1 id="page-title">{title}</h1>
        {actions && <div class="page-actions">{actions}</div>}
      </header>
      {children}
    </section>
  );
};
