import { Route, Router } from 'preact-iso';
import { ActorEditPage, ActorNewPage } from './pages/actor-form.tsx';
import { ActorsPage } from './pages/actors.tsx';
import { AsOfPage } from './pages/as-of.tsx';
import { AuditPage } from './pages/audit.tsx';
import { ConnectionPage } from './pages/connection.tsx';
import { ConnectionNewPage } from './pages/connection-new.tsx';
import { ConnectionsPage } from './pages/connections.tsx';
import { HistoryPage } from './pages/history.tsx';
import { JobPage } from './pages/job.tsx';
import { NotFoundPage } from './pages/not-found.tsx';

const Sources = () => <ActorsPage kind="source" />;
const Destinations = () => <ActorsPage kind="destination" />;
const NewSource = () => <ActorNewPage kind="source" />;
const NewDestination = () => <ActorNewPage kind="destination" />;
const Source = ({ id }: { id: string }) => <ActorEditPage kind="source" id={id} />;
const Destination = ({ id }: { id: string }) => <ActorEditPage kind="destination" id={id} />;

/** Every page and its address; the gateway answers index.html for each, so a link or reload lands here. */
export const Routes = () => (
  <Router>
    <Route path="/" component={ConnectionsPage} />
    <Route path="/connections/new" component={ConnectionNewPage} />
    <Route path="/connections/:id" component={ConnectionPage} />
    <Route path="/jobs/:id" component={JobPage} />
    <Route path="/sources" component={Sources} />
    <Route path="/sources/new" component={NewSource} />
    <Route path="/sources/:id" component={Source} />
    <Route path="/destinations" component={Destinations} />
    <Route path="/destinations/new" component={NewDestination} />
    <Route path="/destinations/:id" component={Destination} />
    <Route path="/history/:id" component={HistoryPage} />
    <Route path="/audit" component={AuditPage} />
    <Route path="/as-of" component={AsOfPage} />
    <Route default component={NotFoundPage} />
  </Router>
);
