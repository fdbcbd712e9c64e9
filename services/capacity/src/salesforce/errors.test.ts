import { isTransient } from './errors';

describe('transient failures', () => {
  it('retries 5xx, 429, request limits, locked rows and dropped connections, not the rest', () => {
    for (const code of [
      'REQUEST_LIMIT_EXCEEDED',
      'UNABLE_TO_LOCK_ROW',
      'ERROR_HTTP_503',
      'ERROR_HTTP_500',
      'ERROR_HTTP_429',
      'ECONNRESET',
      'REQUEST_TIMEOUT',
      'UND_ERR_SOCKET'
    ]) {
      expect(isTransient({ errorCode: code })).toBe(true);
    }
    expect(isTransient(new Error('socket hang up'))).toBe(true);
    expect(isTransient({ errorCode: 'UNKNOWN_EXCEPTION', status: 500 })).toBe(true);
    for (const code of [
      'INVALID_FIELD',
      'MALFORMED_QUERY',
      'DUPLICATE_VALUE',
      'ERROR_HTTP_400',
      'INVALID_SESSION_ID'
    ]) {
      expect(isTransient({ errorCode: code })).toBe(false);
    }
  });
});
