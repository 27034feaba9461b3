/** Log context: carries the call id from the Reactor context into every log line of a call. */
@NullMarked
package voicecall.app.logging;

import org.jspecify.annotations.NullMarked;
