import { describe, expect, it } from '@jest/globals';
import { networkPhraseDe, networkPhraseEn } from './certificate-pdf.js';

describe('the network on a certificate', () => {
  it('is declined after "für das" however the name is written', () => {
    expect(networkPhraseDe('Regionales Bildungsnetzwerk Dortmund')).toBe('das Regionale Bildungsnetzwerk Dortmund');
    expect(networkPhraseDe('Regionales Bildungsnetzwerk der Stadt Köln')).toBe(
      'das Regionale Bildungsnetzwerk der Stadt Köln',
    );
    expect(networkPhraseDe('Das Regionale Bildungsnetzwerk Kreis Soest')).toBe(
      'das Regionale Bildungsnetzwerk Kreis Soest',
    );
    expect(networkPhraseDe('Bildungsnetzwerk Hochsauerlandkreis')).toBe('das Bildungsnetzwerk Hochsauerlandkreis');
    expect(networkPhraseDe('Kreis Lippe')).toBe('das Regionale Bildungsnetzwerk Kreis Lippe');
  });

  it('keeps a German name in English as a proper name, and names a bare place in English', () => {
    expect(networkPhraseEn('Regionales Bildungsnetzwerk Dortmund')).toEqual({
      lead: 'the ',
      german: 'Regionales Bildungsnetzwerk Dortmund',
    });
    expect(networkPhraseEn('Kreis Lippe')).toEqual({
      lead: 'the Regional Education Network Kreis Lippe',
      german: null,
    });
  });
});
