// What kind of node the server is (GET /api/v1/node): a single-province server, a province of a
// federation or the national exchange. The federation's pages are in the menu only on the nodes that
// serve their routes. Asked once per page load; until it answers (or if it fails) the server counts as
// a single one, so the menu never offers a page that would answer 404.
import { useEffect, useState } from 'react';
import { request, type Answer } from './api.ts';

export type NodeRole = Answer<'/api/v1/node'>['role'];

let asked: Promise<NodeRole> | null = null;

function askNodeRole(): Promise<NodeRole> {
  asked ??= request<Answer<'/api/v1/node'>>('GET', '/api/v1/node').then(
    (a) => a.role,
    () => 'single' as const,
  );
  return asked;
}

export function useNodeRole(): NodeRole {
  const [role, setRole] = useState<NodeRole>('single');
  useEffect(() => {
    let live = true;
    void askNodeRole().then((r) => {
      if (live) setRole(r);
    });
    return () => {
      live = false;
    };
  }, []);
  return role;
}
