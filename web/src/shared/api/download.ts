import type { Problem } from '@workers-home/contract';
import { ApiError } from './client.ts';

/**
 * Downloads a file of the API (a spreadsheet, a PDF, a calendar) with the session cookie and
 * hands it to the browser under the given name; a refusal throws the API's problem (ApiError).
 */
export async function download(path: string, fileName: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(`/api${path}`, { credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, null);
  }
  if (!response.ok) throw new ApiError(response.status, (await response.json().catch(() => null)) as Partial<Problem> | null);
  const blob = await response.blob();
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = fileName;
  // Attached while clicked: older Firefox follows only a link in the document.
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}
