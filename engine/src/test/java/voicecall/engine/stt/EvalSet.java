package voicecall.engine.stt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import voicecall.rag.CsvEntries;
import voicecall.rag.Entry;
import voicecall.rag.KnowledgeRules;

/**
 * The knowledge base evaluation set of the rag module ({@code rag/src/test/resources/eval}), read
 * from the source tree next to this module so the two never drift apart.
 */
public final class EvalSet {

  static final Path DIR = Path.of("..", "rag", "src", "test", "resources", "eval");

  /**
   * One caller question of the set.
   *
   * @param expectedId the entry that answers it, or null when it is out of scope
   * @param text what the caller says
   */
  public record Query(@Nullable String expectedId, String text) {}

  private EvalSet() {}

  /**
   * The FAQ of a language.
   *
   * @param lang {@code en} or {@code ko}
   * @return the validated entries
   */
  public static List<Entry> entries(String lang) {
    return KnowledgeRules.DEFAULT.validate(CsvEntries.parse(read("faq-" + lang + ".csv")));
  }

  static List<Entry> allEntries() {
    List<Entry> all = new ArrayList<>(entries("en"));
    all.addAll(entries("ko"));
    return all;
  }

  /**
   * The caller questions of a language, in file order.
   *
   * @param lang {@code en} or {@code ko}
   * @return the questions
   */
  public static List<Query> queries(String lang) {
    return parseQueries(read("queries-" + lang + ".tsv"));
  }

  /**
   * Caller questions in the format of {@code queries-en.tsv}: the expected entry id (or {@code -})
   * and the question, tab-separated, one per line; {@code #} starts a comment line.
   *
   * @param tsv the file's text
   * @return the questions, in order
   */
  static List<Query> parseQueries(String tsv) {
    List<Query> out = new ArrayList<>();
    for (String line : tsv.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split("\t", 2);
      out.add(new Query("-".equals(parts[0]) ? null : parts[0], parts[1].strip()));
    }
    return out;
  }

  private static String read(String name) {
    try {
      return Files.readString(DIR.resolve(name), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("evaluation set not found under " + DIR.toAbsolutePath(), e);
    }
  }
}
