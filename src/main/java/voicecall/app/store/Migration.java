package voicecall.app.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * One versioned schema change, read from {@code db/migration/V<n>__<description>.sql}.
 *
 * @param version the version it brings the schema to, starting at 1
 * @param description what it does, from the file name
 * @param statements the SQL statements in order, without their terminating semicolons
 * @param checksum CRC32 of the script, so an edited, already-applied script is noticed
 */
record Migration(int version, String description, List<String> statements, long checksum) {

  private static final Pattern FILE_NAME = Pattern.compile("V(\\d+)__([A-Za-z0-9_]+)\\.sql");

  Migration {
    if (version < 1) {
      throw new IllegalArgumentException("migration version must be >= 1, was " + version);
    }
    if (statements.isEmpty()) {
      throw new IllegalArgumentException("migration V" + version + " has no statements");
    }
    statements = List.copyOf(statements);
  }

  /**
   * Parses a migration script.
   *
   * @param fileName the file name, {@code V<n>__<description>.sql}
   * @param script the file's text
   * @throws IllegalArgumentException if the name does not follow the pattern or it has no SQL
   */
  static Migration parse(String fileName, String script) {
    Matcher m = FILE_NAME.matcher(fileName);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "migration file '" + fileName + "' must be named V<number>__<description>.sql");
    }
    String normalised = script.replace("\r\n", "\n");
    CRC32 crc = new CRC32();
    crc.update(normalised.getBytes(StandardCharsets.UTF_8));
    return new Migration(
        Integer.parseInt(m.group(1)),
        m.group(2).replace('_', ' '),
        splitStatements(normalised),
        crc.getValue());
  }

  /**
   * Splits a script into statements. Our scripts keep to a simple form that both H2 and MariaDB
   * accept: {@code --} comments on their own lines, and each statement ends with a semicolon at the
   * end of a line.
   */
  static List<String> splitStatements(String script) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : script.split("\n", -1)) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("--")) {
        continue;
      }
      current.append(line).append('\n');
      if (trimmed.endsWith(";")) {
        String sql = current.toString().strip();
        statements.add(sql.substring(0, sql.length() - 1).strip());
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      throw new IllegalArgumentException(
          "last statement is not terminated by ';': " + current.toString().strip());
    }
    return statements;
  }
}
