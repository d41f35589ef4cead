package db.api.spi;

import java.time.Duration;

/**
 * What a pool reports to the core about events only it can see. The core forwards them to the
 * instrumenters, so providers never see instrumenters themselves.
 */
public interface PoolEvents {

    /** Reports nothing. */
    PoolEvents NONE = new PoolEvents() {
        @Override
        public void connectionCreated(Duration took) {
            // nothing to report to
        }
    };

    /**
     * A physical connection was opened; {@code took} is how long the connect took.
     *
     * @param took how long the connect took
     */
    void connectionCreated(Duration took);
}
