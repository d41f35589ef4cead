package db.tlstests;

import db.tlstests.TlsCase.Home;
import db.tlstests.TlsCase.Outcome;
import db.tlstests.TlsCase.Server;
import db.tlstests.TlsCase.Url;
import db.testkit.TlsFiles;
import java.util.List;

/**
 * Every case of the suite: the working cases of issue 21 (W*) and each row of its table (T*), with what
 * libpq 16+ does as the expected outcome (or a {@code ConfigException} where the issue allows Switchboard
 * to refuse instead).
 */
final class TlsCases {
    private TlsCases() {
    }

    static List<TlsCase> all() {
        return List.of(
                // ---- what works today and must keep working ----
                TlsCase.of("W1", "sslmode=require").param("sslmode", "require").expect(Outcome.TLS),
                TlsCase.of("W2", "sslmode=verify-ca with the test CA")
                        .param("sslmode", "verify-ca").param("sslrootcert", "{ca}").expect(Outcome.TLS),
                TlsCase.of("W3", "sslmode=verify-full, host localhost")
                        .param("sslmode", "verify-full").param("sslrootcert", "{ca}").expect(Outcome.TLS),
                TlsCase.of("W4", "sslmode=verify-full, host 127.0.0.1 (IP SAN)").host("127.0.0.1")
                        .param("sslmode", "verify-full").param("sslrootcert", "{ca}").expect(Outcome.TLS),
                TlsCase.of("W5", "sslmode=prefer ends up on TLS").param("sslmode", "prefer").expect(Outcome.TLS),
                TlsCase.of("W6", "sslmode=allow ends up on TLS (hostnossl reject)").param("sslmode", "allow")
                        .expect(Outcome.TLS),
                TlsCase.of("W7", "no sslmode ends up on TLS").expect(Outcome.TLS),
                clientKey("W8", TlsFiles.KeyFormat.PKCS8_PEM),
                clientKey("W9", TlsFiles.KeyFormat.PKCS8_DER),
                TlsCase.of("W10", "channel_binding=require with scram-sha-256")
                        .param("sslmode", "verify-full").param("sslrootcert", "{ca}")
                        .param("channel_binding", "require").expect(Outcome.TLS),
                TlsCase.of("W11", "sslmode=require against the wrong-name server, no root certificate (libpq: "
                        + "connects unverified)").server(Server.WRONG_NAME).param("sslmode", "require")
                        .expect(Outcome.TLS),
                TlsCase.of("W12", "sslmode=disable is refused by hostnossl reject").param("sslmode", "disable")
                        .expect(Outcome.REFUSED),
                TlsCase.of("W13", "verify-full with ~/.postgresql/root.crt (libpq's default file)")
                        .home(Home.ROOT_CRT).param("sslmode", "verify-full").expect(Outcome.TLS),

                // ---- issue 21's table: permanent TLS failures ----
                TlsCase.of("T1a", "wrong CA (verify-ca)").param("sslmode", "verify-ca")
                        .param("sslrootcert", "{wrongCa}").expect(Outcome.REJECTED),
                TlsCase.of("T1b", "wrong CA (verify-full)").param("sslmode", "verify-full")
                        .param("sslrootcert", "{wrongCa}").expect(Outcome.REJECTED),
                TlsCase.of("T1c", "missing sslrootcert file").param("sslmode", "verify-full")
                        .param("sslrootcert", "{missing}").expect(Outcome.CONFIG),
                TlsCase.of("T1d", "hostname mismatch (localhost), message names both").server(Server.WRONG_NAME)
                        .param("sslmode", "verify-full").param("sslrootcert", "{ca}")
                        .mentions(TlsFiles.WRONG_NAME, "localhost").expect(Outcome.REJECTED),
                TlsCase.of("T1e", "hostname mismatch (127.0.0.1), message names both").server(Server.WRONG_NAME)
                        .host("127.0.0.1").param("sslmode", "verify-full").param("sslrootcert", "{ca}")
                        .mentions(TlsFiles.WRONG_NAME, "127.0.0.1").expect(Outcome.REJECTED),
                TlsCase.of("T1f", "unreadable client key (a certificate in the key file)").certUser()
                        .param("sslmode", "verify-full").param("sslrootcert", "{ca}")
                        .param("sslcert", "{clientCert}").param("sslkey", "{notAKey}").expect(Outcome.CONFIG),
                TlsCase.of("T1g", "unsupported client key (OpenSSH format)").certUser()
                        .param("sslmode", "verify-full").param("sslrootcert", "{ca}")
                        .param("sslcert", "{clientCert}").param("sslkey", "{opensshKey}").expect(Outcome.CONFIG),
                TlsCase.of("T1h", "missing client key file").certUser()
                        .param("sslmode", "verify-full").param("sslrootcert", "{ca}")
                        .param("sslcert", "{clientCert}").param("sslkey", "{missing}").expect(Outcome.CONFIG),
                TlsCase.of("T1i", "wrong key password (encrypted PKCS#8 AES)").certUser()
                        .param("sslmode", "verify-full").param("sslrootcert", "{ca}")
                        .param("sslcert", "{clientCert}").param("sslkey", "{key:PKCS8_ENCRYPTED_PEM}")
                        .param("sslpassword", "{wrongKeyPassword}").expect(Outcome.PERMANENT),
                TlsCase.of("T1j", "wrong key password (legacy encrypted PEM)").certUser()
                        .param("sslmode", "verify-full").param("sslrootcert", "{ca}")
                        .param("sslcert", "{clientCert}").param("sslkey", "{key:LEGACY_ENCRYPTED_PEM}")
                        .param("sslpassword", "{wrongKeyPassword}").expect(Outcome.PERMANENT),

                // ---- sslrootcert=system (libpq 16+) ----
                TlsCase.of("T2", "sslrootcert=system with verify-full uses the JDK trust store (the test CA is "
                        + "not in it)").param("sslmode", "verify-full").param("sslrootcert", "system")
                        .expect(Outcome.REJECTED),
                TlsCase.of("T3a", "sslrootcert=system with sslmode=require is an error")
                        .param("sslmode", "require").param("sslrootcert", "system").expect(Outcome.CONFIG),
                TlsCase.of("T3b", "sslrootcert=system with verify-ca is an error")
                        .param("sslmode", "verify-ca").param("sslrootcert", "system").expect(Outcome.CONFIG),
                TlsCase.of("T3c", "sslrootcert=system without sslmode means verify-full")
                        .param("sslrootcert", "system").expect(Outcome.REJECTED),

                // ---- ~/.postgresql/root.crt with sslmode=require verifies the CA ----
                TlsCase.of("T4a", "~/.postgresql/root.crt is the wrong CA, sslmode=require")
                        .home(Home.ROOT_CRT_WRONG_CA).param("sslmode", "require").expect(Outcome.REJECTED),
                TlsCase.of("T4b", "~/.postgresql/root.crt is the test CA, sslmode=require, wrong-name server "
                        + "(verify-ca: connects)").server(Server.WRONG_NAME).home(Home.ROOT_CRT)
                        .param("sslmode", "require").expect(Outcome.TLS),

                // ---- PG* environment and ~/.pgpass ----
                TlsCase.of("T5a", "PGSSLMODE=verify-full + PGSSLROOTCERT=<wrong CA>")
                        .env("PGSSLMODE", "verify-full").env("PGSSLROOTCERT", "{wrongCa}").expect(Outcome.REJECTED),
                TlsCase.of("T5b", "PGSSLMODE=verify-full + PGSSLROOTCERT=<test CA> + PGPASSWORD").noPassword()
                        .env("PGSSLMODE", "verify-full").env("PGSSLROOTCERT", "{ca}")
                        .env("PGPASSWORD", "{scramPassword}").expect(Outcome.TLS),
                TlsCase.of("T5c", "URL names only the database; PGHOST, PGPORT, PGUSER, PGPASSWORD, PGSSLMODE, "
                        + "PGSSLROOTCERT").noPassword().url(Url.DATABASE_ONLY)
                        .env("PGHOST", "localhost").env("PGPORT", "{port}").env("PGUSER", "scramuser")
                        .env("PGPASSWORD", "{scramPassword}").env("PGSSLMODE", "verify-full")
                        .env("PGSSLROOTCERT", "{ca}").expect(Outcome.TLS),
                TlsCase.of("T5d", "no db.url: everything from PG* (PGDATABASE too)").noPassword().url(Url.NONE)
                        .env("PGHOST", "localhost").env("PGPORT", "{port}").env("PGDATABASE", "test")
                        .env("PGUSER", "scramuser").env("PGPASSWORD", "{scramPassword}")
                        .env("PGSSLMODE", "verify-full").env("PGSSLROOTCERT", "{ca}").expect(Outcome.TLS),
                TlsCase.of("T5e", "URL's sslmode=require beats PGSSLMODE; PGSSLROOTCERT=<wrong CA> still makes "
                        + "require verify").param("sslmode", "require").env("PGSSLMODE", "disable")
                        .env("PGSSLROOTCERT", "{wrongCa}").expect(Outcome.REJECTED),
                TlsCase.of("T5f", "no db.url: PGSERVICE names a pg_service.conf section (PGSERVICEFILE)").noPassword()
                        .url(Url.NONE).env("PGSERVICEFILE", "{serviceFile}").env("PGSERVICE", "right")
                        .env("PGPASSWORD", "{scramPassword}").expect(Outcome.TLS),
                TlsCase.of("T5g", "the URL's service= names a section with the wrong CA and verify-full").noPassword()
                        .url(Url.DATABASE_ONLY).param("service", "wrongca").env("PGSERVICEFILE", "{serviceFile}")
                        .env("PGPASSWORD", "{scramPassword}").expect(Outcome.REJECTED),
                TlsCase.of("T6a", "~/.pgpass (0600) supplies the password").noPassword().home(Home.PGPASS)
                        .param("sslmode", "verify-full").param("sslrootcert", "{ca}").expect(Outcome.TLS),
                TlsCase.of("T6b", "~/.pgpass readable by others is ignored").noPassword()
                        .home(Home.PGPASS_READABLE).param("sslmode", "verify-full").param("sslrootcert", "{ca}")
                        .logMentions(".pgpass").expect(Outcome.REFUSED),

                // ---- libpq's client key habits ----
                TlsCase.of("T7a", "~/.postgresql/postgresql.crt + postgresql.key (PEM PKCS#8), libpq's default "
                        + "names").certUser().home(Home.CLIENT_FILES_PKCS8).param("sslmode", "verify-full")
                        .expect(Outcome.TLS),
                TlsCase.of("T7b", "~/.postgresql/postgresql.key as PEM PKCS#1").certUser()
                        .home(Home.CLIENT_FILES_PKCS1).param("sslmode", "verify-full").expect(Outcome.TLS),
                clientKey("T8a", TlsFiles.KeyFormat.PKCS1_PEM),
                clientKey("T8b", TlsFiles.KeyFormat.LEGACY_ENCRYPTED_PEM),
                clientKey("T9", TlsFiles.KeyFormat.PKCS8_ENCRYPTED_PEM),

                // ---- certificate revocation lists (sslcrl, ~/.postgresql/root.crl) ----
                TlsCase.of("T11a", "sslcrl that revokes nothing").param("sslmode", "verify-full")
                        .param("sslrootcert", "{ca}").param("sslcrl", "{emptyCrl}").expect(Outcome.TLS),
                TlsCase.of("T11b", "sslcrl that revokes the server's certificate").param("sslmode", "verify-full")
                        .param("sslrootcert", "{ca}").param("sslcrl", "{revokedCrl}").expect(Outcome.REJECTED),
                TlsCase.of("T11c", "~/.postgresql/root.crl revokes the server's certificate (libpq's default file)")
                        .home(Home.ROOT_CRT_REVOKED).param("sslmode", "verify-full").expect(Outcome.REJECTED),

                // ---- sslnegotiation (libpq 17) ----
                TlsCase.of("T10a", "sslnegotiation=direct with sslmode=prefer is an error")
                        .param("sslmode", "prefer").param("sslnegotiation", "direct").expect(Outcome.CONFIG),
                TlsCase.of("T10b", "sslnegotiation=direct without sslmode is an error")
                        .param("sslnegotiation", "direct").expect(Outcome.CONFIG),
                TlsCase.of("T10c", "sslnegotiation=direct against PostgreSQL 15: clear and permanent")
                        .param("sslmode", "require").param("sslnegotiation", "direct")
                        .mentions("sslnegotiation").expect(Outcome.PERMANENT));
    }

    /** The certificate role logs in with its client key in {@code format} (verify-full). */
    private static TlsCase clientKey(String id, TlsFiles.KeyFormat format) {
        TlsCase.Builder b = TlsCase.of(id, "client certificate auth, key " + format).certUser()
                .param("sslmode", "verify-full").param("sslrootcert", "{ca}")
                .param("sslcert", "{clientCert}").param("sslkey", "{key:" + format.name() + "}");
        if (format.encrypted()) {
            b.param("sslpassword", "{keyPassword}");
        }
        return b.expect(Outcome.TLS);
    }
}
