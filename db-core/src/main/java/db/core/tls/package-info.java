/**
 * The TLS socket factory and host name check that Switchboard names in pgjdbc's {@code sslfactory} and
 * {@code sslhostnameverifier} (not exported; open, because pgjdbc instantiates them by class name), with
 * libpq's rules for trust, host names and client keys.
 */
package db.core.tls;
