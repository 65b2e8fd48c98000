import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../shared/api/client.ts';
import type { Page } from '../../../shared/api/page.ts';
import type { Certificate, CheckinResult, MyClass, MyClassDetail, MyCourse, MyCourseDetail } from '../types.ts';

export const myClassesQuery = queryOptions({
  queryKey: ['my-training', 'classes'],
  queryFn: () => api<MyClass[]>('/my/training/classes'),
});

export const myClassQuery = (id: number) =>
  queryOptions({ queryKey: ['my-training', 'classes', id], queryFn: () => api<MyClassDetail>(`/my/training/classes/${id}`) });

export const myCoursesQuery = queryOptions({
  queryKey: ['my-training', 'courses'],
  queryFn: () => api<Page<MyCourse>>('/my/training/courses?pageSize=100').then((page) => page.items),
});

export const myCourseQuery = (id: number) =>
  queryOptions({ queryKey: ['my-training', 'courses', id], queryFn: () => api<MyCourseDetail>(`/my/training/courses/${id}`) });

export const myCertificatesQuery = queryOptions({
  queryKey: ['my-training', 'certificates'],
  queryFn: () => api<Page<Certificate>>('/my/training/certificates?pageSize=100').then((page) => page.items),
});

/** Checks in with a scanned token or a typed code; `created` is false when already checked in. */
const postCheckIn = (body: { token: string } | { sessionId: number; code: string }) =>
  api<CheckinResult>('/my/training/check-in', { method: 'POST', body });

export function useCheckIn() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: postCheckIn,
    onSuccess: () => client.invalidateQueries({ queryKey: ['my-training'] }),
  });
}

/** The address of my timetable as a calendar feed (iCalendar), for the phone's calendar app. */
export const feedUrlQuery = queryOptions({
  queryKey: ['my-training', 'feed-url'],
  queryFn: () => api<{ url: string }>('/my/training/feed-url'),
  staleTime: Infinity,
});
