package db.api.spi;

import java.util.List;

/**
 * Service interface through which a module declares the configuration keys it reads, so that
 * {@link db.api.DbConfig} knows them: it checks their values when it is built, reads them from the
 * environment, hides the secret ones, and reports any other key under {@code db.} as unknown (with a
 * "did you mean"). A module provides it next to its other services:
 * <pre>{@code
 * public final class AcmeKeys implements ConfigKeySource {
 *     static final ConfigKey<Duration> WARMUP = ConfigKey.duration("db.acme.warmup", Duration.ofSeconds(5));
 *     public List<ConfigKey<?>> configKeys() { return List.of(WARMUP); }
 * }
 * // module-info.java: provides db.api.spi.ConfigKeySource with com.acme.AcmeKeys;
 * // and META-INF/services/db.api.spi.ConfigKeySource for the class path
 * }</pre>
 * {@code DbConfig.builder()} finds sources with {@link java.util.ServiceLoader} (the boot layer and the
 * class path); for modules in another layer use {@code DbConfig.Builder#declareFrom(ModuleLayer)}.
 * Keys of {@code db.api} itself are in {@link db.api.DbKeys}. Declaring a key that another source also
 * declares with the same type is allowed (two pools may read the same key); the first wins.
 */
public interface ConfigKeySource {

    /** {@return the keys this module reads} */
    List<ConfigKey<?>> configKeys();
}
