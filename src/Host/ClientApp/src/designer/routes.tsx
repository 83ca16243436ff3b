import { Route, Routes } from 'react-router-dom';
import { DefinitionsPage, DesignerPage } from './DesignerPage';
import { MigrationPage } from './MigrationPage';

/** The designer's pages under /designer (workflow admins; the API answers 403 to anyone else). */
export function DesignerRoutes() {
  return (
    <Routes>
      <Route index element={<DefinitionsPage />} />
      <Route path=":id" element={<DesignerPage />} />
      <Route path=":id/migrate" element={<MigrationPage />} />
    </Routes>
  );
}
