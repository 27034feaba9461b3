package voicecall.app.knowledge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.ObjectMapper;
import voicecall.app.config.VoiceCallProperties;
import voicecall.app.store.SchemaMigrator;
import voicecall.rag.CsvEntries;
import voicecall.rag.DecisionPolicy;
import voicecall.rag.EntryDraft;
import voicecall.rag.KnowledgeBase;
import voicecall.rag.KnowledgeIndex;
import voicecall.rag.KnowledgeRules;

/** Wires the knowledge base and loads the active version into the index before serving. */
@Configuration(proxyBeanMethods = false)
public class KnowledgeConfiguration {

  static final String SAMPLE = "knowledge/sample-faq.csv";

  /**
   * The live index every call and {@code /api/v1/ask} answer from.
   *
   * @param properties our settings
   * @return the index, empty until {@link #knowledgeService} loads the active version
   */
  @Bean
  public KnowledgeIndex knowledgeIndex(VoiceCallProperties properties) {
    return new KnowledgeIndex(
        KnowledgeBase.empty(), DecisionPolicy.DEFAULT, properties.knowledge().cacheSize());
  }

  /**
   * The knowledge versions as they become active, for whatever follows the knowledge (speech
   * pre-rendering).
   *
   * @return the activation stream
   */
  @Bean
  public KnowledgeActivations knowledgeActivations() {
    return new KnowledgeActivations();
  }

  /**
   * One thread builds indexes: builds run one at a time anyway and must not take the cores from
   * calls. It may block: the first build reads Nori's dictionaries from the jar.
   *
   * @return the scheduler for index builds
   */
  @Bean
  IndexingScheduler knowledgeIndexing() {
    return new IndexingScheduler(
        Schedulers.newBoundedElastic(1, 16, "knowledge-indexing", 60, true));
  }

  @Bean
  UploadReader knowledgeUploadReader(
      ObjectMapper json, VoiceCallProperties properties, IndexingScheduler indexing) {
    return new UploadReader(
        json, properties.knowledge().maxUploadSize().toBytes(), indexing.scheduler());
  }

  /**
   * The knowledge service, returned only after the active version (or, on a fresh database, the
   * sample FAQ) is in the index: the application must not answer calls from an empty index by
   * accident. Runs during start on the main thread, bounded by {@code
   * voicecall.knowledge.load-timeout}, like the schema migration it depends on.
   */
  @Bean
  KnowledgeService knowledgeService(
      DatabaseClient db,
      ReactiveTransactionManager txManager,
      KnowledgeIndex index,
      IndexingScheduler indexing,
      VoiceCallProperties properties,
      KnowledgeActivations activations,
      SchemaMigrator migrated) {
    VoiceCallProperties.Knowledge settings = properties.knowledge();
    KnowledgeService service =
        new KnowledgeService(
            new KnowledgeStore(db, TransactionalOperator.create(txManager)),
            index,
            new KnowledgeRules(
                settings.maxEntries(), settings.maxAnswerChars(), settings.maxQuestionChars()),
            indexing.scheduler(),
            settings.loadTimeout(),
            activations);
    service
        .loadAtStart(settings.sampleOnFirstStart() ? sample() : null)
        .block(settings.loadTimeout());
    return service;
  }

  static @Nullable List<EntryDraft> sample() {
    try {
      return CsvEntries.parse(
          new ClassPathResource(SAMPLE).getContentAsString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the sample FAQ " + SAMPLE, e);
    }
  }

  /** Owns the indexing scheduler so it is disposed with the context. */
  record IndexingScheduler(Scheduler scheduler) implements DisposableBean {
    @Override
    public void destroy() {
      scheduler.dispose();
    }
  }
}
