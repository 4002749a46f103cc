/** Who is calling, once a front-end has authenticated them. */
export interface Principal {
  /** Stable identifier, e.g. `root`, `user/alice`, `cert/CN=app`. */
  readonly id: string;
  readonly kind: 'root' | 'user' | 'service' | 'anonymous';
  /** Names of the policies attached to this principal (or its credential). */
  readonly policies: readonly string[];
}

export const ROOT_PRINCIPAL: Principal = { id: 'root', kind: 'root', policies: [] };
export const ANONYMOUS_PRINCIPAL: Principal = { id: 'anonymous', kind: 'anonymous', policies: [] };
