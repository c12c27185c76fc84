'use client';

import { useCallback, useEffect, useState } from 'react';
import { commentKey, sortComments } from './review-format';
import type { ReviewComment } from './review-types';

const storageKey = (missionId: string) => `garrison:review-drafts:${missionId}`;

function load(missionId: string): ReviewComment[] {
  try {
    const raw = window.sessionStorage.getItem(storageKey(missionId));
    const parsed = raw ? (JSON.parse(raw) as unknown) : [];
    return Array.isArray(parsed) ? (parsed as ReviewComment[]).filter((entry) => typeof entry?.path === 'string' && typeof entry.line === 'number' && typeof entry.body === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * The comments a reviewer has written but not sent yet, one per line. They are kept in the tab's
 * session storage, so a reload or a look at the mission page does not lose a half-done review.
 */
export function useReviewDrafts(missionId: string) {
  const [comments, setComments] = useState<ReviewComment[]>([]);
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    setComments(load(missionId));
    setLoaded(true);
  }, [missionId]);
  useEffect(() => {
    if (!loaded) return;
    try {
      if (comments.length === 0) window.sessionStorage.removeItem(storageKey(missionId));
      else window.sessionStorage.setItem(storageKey(missionId), JSON.stringify(comments));
    } catch {
      // Storage full or refused (private mode): the drafts live as long as the page.
    }
  }, [comments, loaded, missionId]);

  const save = useCallback((comment: ReviewComment) => {
    setComments((was) => sortComments([...was.filter((entry) => commentKey(entry) !== commentKey(comment)), comment]));
  }, []);
  const remove = useCallback((key: string) => setComments((was) => was.filter((entry) => commentKey(entry) !== key)), []);
  const clear = useCallback(() => setComments([]), []);
  return { comments, save, remove, clear };
}
