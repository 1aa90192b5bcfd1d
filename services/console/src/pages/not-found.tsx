import { Page } from '../ui/page.tsx';

export const NotFoundPage = () => (
  <Page title="Page not found">
    <p>
      There is no page here. Go to the <a href="/">connections</a>.
    </p>
  </Page>
);
