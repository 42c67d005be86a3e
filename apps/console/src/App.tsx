import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { SessionProvider, useSession } from './auth/session';
import { Layout } from './shell/Layout';
import { homeOf } from './shell/navigation';
import { SignInPage } from './pages/SignInPage';
import { QueuePage } from './pages/operator/QueuePage';
import { NewCasePage } from './pages/operator/NewCasePage';
import { CasePage } from './pages/operator/CasePage';
import { CallbacksPage } from './pages/operator/CallbacksPage';
import { PipelinePage } from './pages/operator/PipelinePage';
import { InboxPage } from './pages/services/InboxPage';
import { ReportPage } from './pages/evaluator/ReportPage';
import { SupervisionPage } from './pages/supervisor/SupervisionPage';
import { AccessLogPage } from './pages/supervisor/AccessLogPage';
import { DirectoryPage } from './pages/admin/DirectoryPage';
import { ProjectionsPage } from './pages/admin/ProjectionsPage';
import { SafetyPage } from './pages/safety/SafetyPage';
import { NotFoundPage } from './pages/NotFoundPage';

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false } },
});

/** Every page of the console, under /console/ (the API's routes stay at the root: see docs/console.md). */
export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <SessionProvider>
        <BrowserRouter basename="/console">
          <Pages />
        </BrowserRouter>
      </SessionProvider>
    </QueryClientProvider>
  );
}

function Pages() {
  const { me } = useSession();
  if (!me)
    return (
      <Routes>
        <Route path="*" element={<SignInPage />} />
      </Routes>
    );
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<Navigate to={homeOf(me.role)} replace />} />
        <Route path="queue" element={<QueuePage />} />
        <Route path="cases/new" element={<NewCasePage />} />
        <Route path="cases/:caseId" element={<CasePage />} />
        <Route path="callbacks" element={<CallbacksPage />} />
        <Route path="pipeline" element={<PipelinePage />} />
        <Route path="inbox" element={<InboxPage />} />
        <Route path="report" element={<ReportPage />} />
        <Route path="supervision" element={<SupervisionPage />} />
        <Route path="access-log" element={<AccessLogPage />} />
        <Route path="directory" element={<DirectoryPage />} />
        <Route path="projections" element={<ProjectionsPage />} />
        <Route path="safety" element={<SafetyPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
