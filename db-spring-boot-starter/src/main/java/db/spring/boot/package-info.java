/**
 * Spring Boot auto-configuration for Switchboard: one {@link db.api.Database} from Boot's
 * {@code Environment}, the {@code DataSource} over it, one transaction manager for {@code @Transactional}
 * and {@code Database.inTransaction}, exception translation to Spring's {@code DataAccessException}
 * classes, an actuator health indicator and Micrometer pool meters.
 */
package db.spring.boot;
