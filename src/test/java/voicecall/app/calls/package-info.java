/** Tests of call records: the write buffer, grouping, and the endpoints on real databases. */
@NullMarked
package voicecall.app.calls;

import org.jspecify.annotations.NullMarked;
