/**
 * Call records and what they tell: each finished call (its Asterisk ids, adapter, language, times,
 * outcome) and its turns (transcript, decision, latency marks) are written off the call path
 * through a bounded buffer in batches, and served as {@code /api/v1/calls}, {@code
 * /api/v1/unanswered} and {@code /api/v1/stats}. A database outage never stalls a call: records
 * wait and are written on recovery, and what the buffer cannot hold is counted.
 */
@NullMarked
package voicecall.app.calls;

import org.jspecify.annotations.NullMarked;
