/**
 * Reduces the error shapes Lightning Data Service, Apex wires and imperative Apex calls produce to readable messages.
 * @param {object|object[]} errors a wire or imperative error, or a list of them
 * @returns {string[]} messages, never empty strings
 */
export function reduceErrors(errors) {
  const list = Array.isArray(errors) ? errors : [errors];
  return list
    .filter((error) => Boolean(error))
    .flatMap((error) => {
      if (typeof error === 'string') return [error];
      if (Array.isArray(error.body)) return error.body.map((entry) => entry.message);
      if (error.body?.pageErrors?.length) return error.body.pageErrors.map((entry) => entry.message);
      if (error.body?.fieldErrors && Object.keys(error.body.fieldErrors).length) {
        return Object.values(error.body.fieldErrors)
          .flat()
          .map((entry) => entry.message);
      }
      if (error.body?.message) return [error.body.message];
      if (typeof error.message === 'string') return [error.message];
      return [error.statusText ?? 'Unknown error'];
    })
    .filter((message) => Boolean(message));
}
