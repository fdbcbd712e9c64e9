/// <reference lib="dom" />

/** The module the preview build generates (build.ts): the page components found in force-app. */
declare module 'preview:components' {
  /** A new element of a component, by folder name; undefined when force-app does not have it. */
  export function create(name: string): HTMLElement | undefined;
  /** Page components not found in force-app. */
  export const missing: string[];
}
