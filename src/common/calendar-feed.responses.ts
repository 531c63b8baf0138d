import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';

const ETAG = {
  ETag: { description: 'Strong entity tag of the feed; send it back as If-None-Match', schema: { type: 'string' } },
};

/** An iCalendar feed (text/calendar) with its ETag, and 304 Not Modified when If-None-Match names the current one. */
export const ApiCalendarFeed = () =>
  applyDecorators(
    ApiHeader({ name: 'If-None-Match', required: false, description: 'The ETag of the copy the calendar app holds' }),
    ApiResponse({
      status: 200,
      description: 'The feed: one VEVENT per event day',
      headers: ETAG,
      content: { 'text/calendar': { schema: { type: 'string' } } },
    }),
    ApiResponse({
      status: 304,
      description: 'Not modified: the copy named by If-None-Match is current',
      headers: ETAG,
    }),
  );
