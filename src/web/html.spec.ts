import { describe, expect, it } from '@jest/globals';
import { html, trusted } from './html.js';

describe('the html template', () => {
  it('escapes every interpolated text, also inside attributes', () => {
    const name = '<script>alert("x")</script> & \'o\'';
    expect(html`<p title="${name}">${name}</p>`.value).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;o&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;o&#39;</p>',
    );
  });

  it('keeps fragments built with it, joins lists and leaves out null, undefined and false', () => {
    const items = ['a<b', 'c'].map((x) => html`<li>${x}</li>`);
    expect(html`<ul>${items}</ul>${null}${undefined}${false}${0}${trusted('<hr>')}`.value).toBe(
      '<ul><li>a&lt;b</li><li>c</li></ul>0<hr>',
    );
  });
});
