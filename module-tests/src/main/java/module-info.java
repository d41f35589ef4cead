/**
 * Switchboard's integration tests, run as a named module that requires only {@code db.api}: the
 * providers arrive as service providers, exactly as in an application.
 */
module db.moduletests {
    requires db.api;

    exports db.moduletests;
}
