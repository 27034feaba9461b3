package voicecall.app.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MigrationTest {

  @Test
  void parsesVersionDescriptionAndStatements() {
    Migration m =
        Migration.parse(
            "V12__add_call_records.sql",
            "-- a comment\nCREATE TABLE a (\n  id INT\n);\n\nCREATE INDEX ix ON a (id);\n");
    assertThat(m.version()).isEqualTo(12);
    assertThat(m.description()).isEqualTo("add call records");
    assertThat(m.statements())
        .containsExactly("CREATE TABLE a (\n  id INT\n)", "CREATE INDEX ix ON a (id)");
  }

  @Test
  void checksumIgnoresLineEndingsButNotContent() {
    long unix = Migration.parse("V1__x.sql", "CREATE TABLE a (id INT);\n").checksum();
    long windows = Migration.parse("V1__x.sql", "CREATE TABLE a (id INT);\r\n").checksum();
    long other = Migration.parse("V1__x.sql", "CREATE TABLE b (id INT);\n").checksum();
    assertThat(windows).isEqualTo(unix);
    assertThat(other).isNotEqualTo(unix);
  }

  @Test
  void rejectsBadFileNames() {
    assertThatThrownBy(() -> Migration.parse("init.sql", "CREATE TABLE a (id INT);"))
        .hasMessageContaining("V<number>__<description>.sql");
    assertThatThrownBy(() -> Migration.parse("V0__zero.sql", "CREATE TABLE a (id INT);"))
        .hasMessageContaining(">= 1");
  }

  @Test
  void rejectsUnterminatedAndEmptyScripts() {
    assertThatThrownBy(() -> Migration.parse("V1__x.sql", "CREATE TABLE a (id INT)"))
        .hasMessageContaining("not terminated");
    assertThatThrownBy(() -> Migration.parse("V1__x.sql", "-- only a comment\n"))
        .hasMessageContaining("no statements");
  }

  @Test
  void shippedMigrationsLoadInOrder() {
    assertThat(SchemaMigrator.loadFromClasspath())
        .isNotEmpty()
        .extracting(Migration::version)
        .startsWith(1)
        .isSorted();
  }
}
