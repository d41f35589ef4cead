/**
 * Switchboard's integration tests, run as a named module that requires only {@code db.api}: the
 * providers arrive as service providers, exactly as in an application. The module also provides a
 * recording {@link db.api.spi.QueryInstrumenter} so the tests can see what the core reports.
 */
module db.moduletests {
    requires transitive db.api; // its exported classes (TestKeys, RecordingInstrumenter) show db.api types
    requires java.management; // the JMX view test reads the platform MBean server, as an operator's tool would

    exports db.moduletests;

    provides db.api.spi.QueryInstrumenter with db.moduletests.RecordingInstrumenter;
    provides db.api.spi.ConfigKeySource with db.moduletests.TestKeys;
}
