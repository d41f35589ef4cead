/**
 * Test fixture: a second {@link db.api.spi.SessionProvider} ("direct", unpooled) so the module tests
 * can prove selection by {@code db.session-provider} and swapping by module path.
 */
module db.fixture.provider {
    requires db.api;
    requires db.core; // the helpers for provider authors (db.core.support); it brings the engine

    provides db.api.spi.SessionProvider with db.fixture.provider.DirectSessionProvider;
}
