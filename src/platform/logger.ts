// pino logger. Personal data never reaches the log: request logs carry route patterns only,
// and these paths are censored wherever they appear in a logged object.
import pino, { type Logger } from 'pino';

export const REDACT_PATHS = [
  'name', '*.name', 'idNumber', '*.idNumber', 'id_number', '*.id_number', 'phone', '*.phone',
  'password', '*.password', 'address', '*.address', 'contacts', '*.contacts',
  'req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie',
];

/** The platform logger; `destination` lets tests capture the output. */
export function makeLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[已隐藏]' }, base: { app: 'yiyang' } }, destination);
}
