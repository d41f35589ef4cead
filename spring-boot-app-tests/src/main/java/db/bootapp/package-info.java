/**
 * A Spring Boot application that uses Switchboard as its {@code DataSource}: the subject of the tests of this
 * module, and the fat jar they start.
 */
package db.bootapp;
