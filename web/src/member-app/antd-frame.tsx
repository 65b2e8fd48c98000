import { Suspense } from 'react';
import { Outlet } from 'react-router';
import { AntdProvider } from '../shared/ui/antd-provider.tsx';
import { PlainCard, PlainSkeleton } from '../shared/ui/plain.tsx';

/** The member app's sections other than the first page: built with antd, which loads with the first of them opened. */
export default function AntdFrame() {
  return (
    <AntdProvider>
      <Suspense fallback={<PlainCard><PlainSkeleton rows={6} minHeight={300} /></PlainCard>}>
        <Outlet />
      </Suspense>
    </AntdProvider>
  );
}
