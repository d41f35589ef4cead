/**
 * The module under which Switchboard's integration tests run; the tests live in
 * {@code src/test/java} and are patched into it by Surefire.
 */
package db.moduletests;
