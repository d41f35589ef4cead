package db.moduletests;

import db.api.spi.ConfigKey;
import db.api.spi.ConfigKeySource;
import java.util.List;

/** The keys of this test module, declared as any module declares the keys it reads. */
public final class TestKeys implements ConfigKeySource {
    /** {@link RecordingInstrumenter#RECORD}. */
    public static final ConfigKey<Boolean> RECORD = ConfigKey.flag(RecordingInstrumenter.RECORD, false);
    /** A provider key that is secret by its name, as a third-party module would declare one. */
    public static final ConfigKey<String> API_KEY = ConfigKey.text("db.test.api-key");

    /** Used by {@link java.util.ServiceLoader}. */
    public TestKeys() {
        // declarations only
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return List.of(RECORD, API_KEY);
    }
}
