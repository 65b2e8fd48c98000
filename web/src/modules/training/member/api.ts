import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { Problem } from '@workers-home/contract';
import { api, ApiError } from '../../../shared/api/client.ts';
import type { Page } from '../../auth/api.ts';
import { itemsOf } from '../api.ts';
import type { Attendance, Certificate, Course, MyClass, MyClassDetail } from '../types.ts';

export const myClassesQuery = queryOptions({
  queryKey: ['my-training', 'classes'],
  queryFn: () => api<MyClass[] | Page<MyClass>>('/my/training/classes').then(itemsOf),
});

export const myClassQuery = (id: number) =>
  queryOptions({ queryKey: ['my-training', 'classes', id], queryFn: () => api<MyClassDetail>(`/my/training/classes/${id}`) });

export const myCoursesQuery = queryOptions({
  queryKey: ['my-training', 'courses'],
  queryFn: () => api<Course[] | Page<Course>>('/my/training/courses').then(itemsOf),
});

export const myCourseQuery = (id: number) =>
  queryOptions({ queryKey: ['my-training', 'courses', id], queryFn: () => api<Course>(`/my/training/courses/${id}`) });

export const myCertificatesQuery = queryOptions({
  queryKey: ['my-training', 'certificates'],
  queryFn: () => api<Certificate[] | Page<Certificate>>('/my/training/certificates').then(itemsOf),
});

export interface CheckInAnswer { attendance: Attendance & { topic?: string; sessionTopic?: string }; created: boolean }

/** Checks in with a scanned token or a typed code; 201 the first time, 200 when already checked in. */
async function postCheckIn(body: { token: string } | { sessionId: number; code: string }): Promise<CheckInAnswer> {
  let response: Response;
  try {
    response = await fetch('/api/my/training/check-in', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, null);
  }
  const answer: unknown = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, (answer as Partial<Problem> | null) ?? null);
  return { attendance: answer as CheckInAnswer['attendance'], created: response.status === 201 };
}

export function useCheckIn() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: postCheckIn,
    onSuccess: () => client.invalidateQueries({ queryKey: ['my-training'] }),
  });
}
