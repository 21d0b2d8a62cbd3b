// Which API operations this server offers, read from its OpenAPI document: a page whose API has
// not landed yet is left out of the navigation instead of showing a fake.
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { api } from './api.ts';

/** "GET /api/v1/persons/{id}" style keys. */
export type Operation = `${'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'} /api/${string}`;

interface Features {
  loaded: boolean;
  has: (op: Operation) => boolean;
  /** the property names of an operation's JSON request body (empty when unknown) */
  bodyFields: (op: Operation) => ReadonlySet<string>;
}

const NONE: ReadonlySet<string> = new Set();
const FeaturesContext = createContext<Features>({ loaded: false, has: () => false, bodyFields: () => NONE });

interface OpenApiOperation {
  requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
}

export function FeaturesProvider({ children }: { children: ReactNode }) {
  const [ops, setOps] = useState<Map<string, ReadonlySet<string>> | null>(null);
  useEffect(() => {
    api
      .openApi()
      .then((doc) => {
        const map = new Map<string, ReadonlySet<string>>();
        for (const [path, methods] of Object.entries(doc.paths ?? {})) {
          for (const [m, op] of Object.entries(methods)) {
            const schema = (op as OpenApiOperation).requestBody?.content?.['application/json']?.schema;
            map.set(
              `${m.toUpperCase()} ${path.replace(/:(\w+)/g, '{$1}')}`,
              new Set(Object.keys(schema?.properties ?? {})),
            );
          }
        }
        setOps(map);
      })
      .catch(() => setOps(new Map()));
  }, []);
  const value: Features = {
    loaded: ops !== null,
    has: (op) => ops?.has(op) ?? false,
    bodyFields: (op) => ops?.get(op) ?? NONE,
  };
  return <FeaturesContext.Provider value={value}>{children}</FeaturesContext.Provider>;
}

export const useFeatures = (): Features => useContext(FeaturesContext);
