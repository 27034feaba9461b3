package voicecall.rag;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.ByteBuffersDataOutput;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.SingleInstanceLockFactory;

/**
 * One immutable version of the knowledge base: its entries and an in-heap Lucene index over them
 * (BM25, questions weighted above tags and answers). Built completely before anyone can see it, so
 * a reader holding a snapshot never sees a half-built index. Safe for any number of concurrent
 * searches.
 */
public final class KnowledgeBase {

  /** Longest query we analyse; speech transcripts are far shorter. */
  static final int MAX_QUERY_TERMS = 64;

  private static final LanguageAnalysis ANALYSIS = new LanguageAnalysis();

  private final long version;
  private final List<Entry> entries;
  private final Map<String, Entry> byId;
  private final DirectoryReader reader;
  private final IndexSearcher searcher;

  /** Per entry (by ordinal): the terms of its questions and tags, and of its answer. */
  private final List<Set<String>> keyTerms;

  private final List<Set<String>> answerTerms;

  /** Per language: in how many entries each term occurs, and how many entries there are. */
  private final Map<Language, Map<String, Integer>> documentFrequency;

  private final Map<Language, Integer> entryCount;

  private KnowledgeBase(long version, List<Entry> entries) throws IOException {
    this.version = version;
    this.entries = List.copyOf(entries);
    Map<String, Entry> ids = new HashMap<>();
    for (Entry e : this.entries) {
      if (ids.putIfAbsent(e.id(), e) != null) {
        throw new IllegalArgumentException("duplicate entry id " + e.id());
      }
    }
    this.byId = Map.copyOf(ids);
    this.keyTerms = new ArrayList<>(entries.size());
    this.answerTerms = new ArrayList<>(entries.size());
    Map<Language, Map<String, Integer>> df = new EnumMap<>(Language.class);
    Map<Language, Integer> counts = new EnumMap<>(Language.class);
    for (Language lang : Language.values()) {
      df.put(lang, new HashMap<>());
      counts.put(lang, 0);
    }
    // One contiguous buffer per index file: reads during a search then slice a single buffer
    // instead of walking a list of blocks.
    ByteBuffersDirectory directory =
        new ByteBuffersDirectory(
            new SingleInstanceLockFactory(),
            ByteBuffersDataOutput::new,
            ByteBuffersDirectory.OUTPUT_AS_ONE_BUFFER);
    // Every field arrives pre-analysed (AnalysedText), so the writer's analyser is never used.
    IndexWriterConfig config = new IndexWriterConfig(ANALYSIS.analyzer(Language.EN));
    config.setRAMBufferSizeMB(64);
    config.setCommitOnClose(true);
    try (IndexWriter writer = new IndexWriter(directory, config)) {
      for (int ord = 0; ord < this.entries.size(); ord++) {
        Entry e = this.entries.get(ord);
        Language lang = e.language();
        String questions = String.join("\n", e.questions());
        String tags = String.join("\n", e.tags());
        AnalysedText q = ANALYSIS.analyse(lang, questions);
        AnalysedText t = ANALYSIS.analyse(lang, tags);
        AnalysedText a = ANALYSIS.analyse(lang, e.answer());
        Document doc = new Document();
        doc.add(new NumericDocValuesField(LanguageAnalysis.ORDINAL, ord));
        doc.add(
            new Field(
                LanguageAnalysis.Field.QUESTION.name(lang), q.replay(), TextField.TYPE_NOT_STORED));
        doc.add(
            new Field(
                LanguageAnalysis.Field.TAGS.name(lang), t.replay(), TextField.TYPE_NOT_STORED));
        doc.add(
            new Field(
                LanguageAnalysis.Field.ANSWER.name(lang), a.replay(), TextField.TYPE_NOT_STORED));
        writer.addDocument(doc);
        Set<String> key = q.distinct();
        key.addAll(t.distinct());
        Set<String> answer = a.distinct();
        Set<String> all = new HashSet<>(key);
        all.addAll(answer);
        for (String term : all) {
          Objects.requireNonNull(df.get(lang)).merge(term, 1, Integer::sum);
        }
        counts.merge(lang, 1, Integer::sum);
        keyTerms.add(Set.copyOf(key));
        answerTerms.add(Set.copyOf(answer));
      }
    }
    this.reader = DirectoryReader.open(directory);
    this.searcher = new IndexSearcher(reader);
    this.searcher.setQueryCache(null);
    this.documentFrequency = df;
    this.entryCount = counts;
  }

  /**
   * Builds a version: indexes every entry before returning.
   *
   * @param version the version number
   * @param entries the entries, ids unique
   * @return the built, searchable version
   * @throws IllegalArgumentException if two entries share an id
   */
  public static KnowledgeBase build(long version, List<Entry> entries) {
    try {
      return new KnowledgeBase(version, entries);
    } catch (IOException e) {
      // An in-heap directory does no real I/O; keep the cause should Lucene report one.
      throw new UncheckedIOException("building knowledge version " + version + " failed", e);
    }
  }

  /**
   * An empty knowledge base, version 0: every query is declined.
   *
   * @return the empty version
   */
  public static KnowledgeBase empty() {
    return build(0, List.of());
  }

  /**
   * The version number.
   *
   * @return the version
   */
  public long version() {
    return version;
  }

  /**
   * Every entry of this version.
   *
   * @return the entries, immutable
   */
  public List<Entry> entries() {
    return entries;
  }

  /**
   * Looks an entry up by id.
   *
   * @param id the entry id
   * @return the entry if this version has it
   */
  public Optional<Entry> entry(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /**
   * How many entries each language has.
   *
   * @return entries per language, every language present
   */
  public Map<Language, Integer> countsByLanguage() {
    return Map.copyOf(entryCount);
  }

  /**
   * Finds the entries of one language that best match a text.
   *
   * @param text what the caller said
   * @param language whose entries to search
   * @param limit most candidates to return
   * @return candidates, best first; empty when nothing matches
   */
  public List<Candidate> search(String text, Language language, int limit) {
    List<String> terms = ANALYSIS.terms(language, text);
    if (terms.size() > MAX_QUERY_TERMS) {
      terms = terms.subList(0, MAX_QUERY_TERMS);
    }
    if (terms.isEmpty() || count(language) == 0) {
      return List.of();
    }
    BooleanQuery.Builder query = new BooleanQuery.Builder();
    for (String term : terms) {
      for (LanguageAnalysis.Field field : LanguageAnalysis.Field.values()) {
        query.add(
            new BoostQuery(new TermQuery(new Term(field.name(language), term)), field.boost()),
            BooleanClause.Occur.SHOULD);
      }
    }
    try {
      ScoreDoc[] hits = searcher.search(query.build(), limit).scoreDocs;
      List<Candidate> out = new ArrayList<>(hits.length);
      for (ScoreDoc hit : hits) {
        int ord = ordinal(hit.doc);
        out.add(new Candidate(entries.get(ord).id(), confidence(language, terms, ord), hit.score));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("searching knowledge version " + version + " failed", e);
    }
  }

  /**
   * The idf-weighted share of the query's terms found in the entry: terms in its questions or tags
   * count fully, terms only in its answer half. A term no entry contains weighs most, so a query
   * about something the knowledge base does not cover gets a low confidence.
   */
  private double confidence(Language language, List<String> terms, int ord) {
    Map<String, Integer> df = Objects.requireNonNull(documentFrequency.get(language));
    int n = count(language);
    Set<String> key = keyTerms.get(ord);
    Set<String> answer = answerTerms.get(ord);
    double total = 0;
    double covered = 0;
    for (String t : terms) {
      int f = df.getOrDefault(t, 0);
      double idf = Math.log(1 + (n - f + 0.5) / (f + 0.5));
      total += idf;
      if (key.contains(t)) {
        covered += idf;
      } else if (answer.contains(t)) {
        covered += 0.5 * idf;
      }
    }
    return total == 0 ? 0 : Math.min(1, covered / total);
  }

  private int count(Language language) {
    return entryCount.getOrDefault(language, 0);
  }

  private int ordinal(int doc) throws IOException {
    List<LeafReaderContext> leaves = reader.leaves();
    LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
    NumericDocValues ords = leaf.reader().getNumericDocValues(LanguageAnalysis.ORDINAL);
    if (ords == null || !ords.advanceExact(doc - leaf.docBase)) {
      throw new IllegalStateException("document " + doc + " has no ordinal");
    }
    return (int) ords.longValue();
  }
}
