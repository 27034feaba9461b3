package voicecall.rag;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads a knowledge upload in CSV (RFC 4180: comma separated, fields optionally in double quotes,
 * {@code ""} for a quote inside, line breaks inside quoted fields, CRLF or LF). The header names
 * the columns in any order: {@code id}, {@code question}, {@code answer} are required, {@code tags}
 * and {@code lang} optional. Several phrasings of a question are separated by {@code " | "}, tags
 * by commas. A leading byte-order mark is ignored.
 */
public final class CsvEntries {

  private static final List<String> REQUIRED = List.of("id", "question", "answer");
  private static final List<String> KNOWN = List.of("id", "question", "answer", "tags", "lang");

  private CsvEntries() {}

  /**
   * Parses a CSV upload into drafts, one per record, each numbered by the line it starts on.
   *
   * @param text the decoded file
   * @return the drafts, to be checked by {@link KnowledgeRules#validate}
   * @throws InvalidKnowledgeException listing every structural problem (bad header, wrong number of
   *     fields, broken quoting)
   */
  public static List<EntryDraft> parse(String text) {
    String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
    List<RowProblem> problems = new ArrayList<>();
    List<Record> records = records(body, problems);
    if (records.isEmpty()) {
      problems.add(
          new RowProblem(0, "*", "the CSV is empty; expected a header id,question,answer"));
      throw new InvalidKnowledgeException(problems);
    }
    Record header = records.get(0);
    Map<String, Integer> columns = new HashMap<>();
    for (int i = 0; i < header.fields().size(); i++) {
      String name = header.fields().get(i).strip().toLowerCase(Locale.ROOT);
      if (!KNOWN.contains(name)) {
        problems.add(
            new RowProblem(
                header.line(), "*", "unknown column '" + name + "' (known: " + KNOWN + ")"));
      } else if (columns.putIfAbsent(name, i) != null) {
        problems.add(new RowProblem(header.line(), name, "column '" + name + "' appears twice"));
      }
    }
    for (String name : REQUIRED) {
      if (!columns.containsKey(name)) {
        problems.add(
            new RowProblem(header.line(), name, "required column '" + name + "' is missing"));
      }
    }
    List<EntryDraft> drafts = new ArrayList<>();
    for (Record r : records.subList(1, records.size())) {
      if (r.fields().size() != header.fields().size()) {
        problems.add(
            new RowProblem(
                r.line(),
                "*",
                "has " + r.fields().size() + " fields, the header has " + header.fields().size()));
        continue;
      }
      @Nullable String question = field(r, columns, "question");
      @Nullable String tags = field(r, columns, "tags");
      drafts.add(
          new EntryDraft(
              r.line(),
              field(r, columns, "id"),
              question == null ? null : Arrays.<@Nullable String>asList(question.split("\\|", -1)),
              field(r, columns, "answer"),
              tags == null ? null : Arrays.<@Nullable String>asList(tags.split(",", -1)),
              field(r, columns, "lang")));
    }
    if (!problems.isEmpty()) {
      throw new InvalidKnowledgeException(problems);
    }
    if (drafts.isEmpty()) {
      throw new InvalidKnowledgeException(
          List.of(new RowProblem(0, "*", "the CSV has a header but no entries")));
    }
    return List.copyOf(drafts);
  }

  private static @Nullable String field(Record r, Map<String, Integer> columns, String name) {
    Integer i = columns.get(name);
    return i == null ? null : r.fields().get(i);
  }

  private record Record(int line, List<String> fields) {}

  /** Splits the text into records; blank lines between records are skipped. */
  private static List<Record> records(String s, List<RowProblem> problems) {
    List<Record> out = new ArrayList<>();
    int line = 1;
    int i = 0;
    int n = s.length();
    while (i < n) {
      int start = line;
      if (s.charAt(i) == '\n' || s.charAt(i) == '\r') {
        i = skipLineBreak(s, i);
        line++;
        continue;
      }
      List<String> fields = new ArrayList<>();
      StringBuilder field = new StringBuilder();
      boolean endOfRecord = false;
      while (!endOfRecord) {
        if (i < n && s.charAt(i) == '"') {
          int quoteLine = line;
          i++;
          boolean closed = false;
          while (i < n) {
            char c = s.charAt(i);
            if (c == '"') {
              if (i + 1 < n && s.charAt(i + 1) == '"') {
                field.append('"');
                i += 2;
              } else {
                i++;
                closed = true;
                break;
              }
            } else {
              if (c == '\n') {
                line++;
              }
              field.append(c);
              i++;
            }
          }
          if (!closed) {
            problems.add(
                new RowProblem(quoteLine, "*", "a quoted field is never closed (missing '\"')"));
            return out;
          }
          if (i < n && s.charAt(i) != ',' && s.charAt(i) != '\n' && s.charAt(i) != '\r') {
            problems.add(
                new RowProblem(
                    line, "*", "unexpected text after a closing quote; use \"\" inside quotes"));
            while (i < n && s.charAt(i) != ',' && s.charAt(i) != '\n' && s.charAt(i) != '\r') {
              i++;
            }
          }
        } else {
          while (i < n && s.charAt(i) != ',' && s.charAt(i) != '\n' && s.charAt(i) != '\r') {
            if (s.charAt(i) == '"') {
              problems.add(
                  new RowProblem(line, "*", "a '\"' inside an unquoted field; quote the field"));
            }
            field.append(s.charAt(i));
            i++;
          }
        }
        fields.add(field.toString());
        field.setLength(0);
        if (i < n && s.charAt(i) == ',') {
          i++;
        } else {
          endOfRecord = true;
          if (i < n) {
            i = skipLineBreak(s, i);
            line++;
          }
        }
      }
      out.add(new Record(start, List.copyOf(fields)));
    }
    return out;
  }

  private static int skipLineBreak(String s, int i) {
    if (s.charAt(i) == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
      return i + 2;
    }
    return i + 1;
  }
}
