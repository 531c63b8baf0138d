import { describe, expect, it } from '@jest/globals';
import { mentionsPerson, rekey, renameNetwork, rewritePerson, withoutOthersAddresses } from './person-references.js';

const lena = { id: 'p-lena', names: ['Lena Unter'], emails: ['lena@koeln.example'] };
const otto = {
  personId: 'p-otto',
  name: 'Otto Ober',
  email: 'otto@koeln.example',
  language: 'de',
  supervision: 'upper',
};

describe('copies of a person in stored JSON', () => {
  const context = {
    networkName: 'Netzwerk Köln',
    members: [
      { personId: 'p-lena', name: 'Lena Unter', email: 'lena@koeln.example', language: 'de', supervision: 'lower' },
      otto,
    ],
    exemptions: [{ replaced: 'p-lena', by: 'p-otto' }],
  };

  it('rewrites the entries that stand for the person, by id or by address, and leaves everyone else alone', () => {
    const rewritten = rewritePerson(context, lena, {
      email: 'lena.unter@koeln.example',
      language: 'en',
    }) as typeof context;
    expect(rewritten.members[0]).toEqual({
      personId: 'p-lena',
      name: 'Lena Unter',
      email: 'lena.unter@koeln.example',
      language: 'en',
      supervision: 'lower',
    });
    expect(rewritten.members[1]).toBe(otto);
    expect(rewritten.exemptions).toBe(context.exemptions);
  });

  it('rewrites a mail recipient found by address and the name repeated in its data', () => {
    const mail = {
      template: 't',
      to: { name: 'Lena Unter', email: 'LENA@koeln.example', language: 'de', role: 'participant' },
      data: { name: 'Lena Unter', networkName: 'N' },
    };
    expect(rewritePerson(mail, lena, { name: 'Lena Unterberg' })).toEqual({
      template: 't',
      to: { name: 'Lena Unterberg', email: 'LENA@koeln.example', language: 'de', role: 'participant' },
      data: { name: 'Lena Unterberg', networkName: 'N' },
    });
  });

  it('never touches someone else of the same name', () => {
    const namesake = { personId: 'p-other', name: 'Lena Unter', email: 'lena.unter@detmold.example' };
    expect(rewritePerson({ members: [namesake] }, lena, { name: 'Pseudonym' })).toEqual({ members: [namesake] });
    expect(
      rewritePerson({ to: { name: 'Lena Unter', email: 'lena.unter@detmold.example' } }, lena, { name: 'Pseudonym' }),
    ).toEqual({ to: { name: 'Lena Unter', email: 'lena.unter@detmold.example' } });
  });

  it('gives back the very same value when there is no copy', () => {
    const value = { members: [otto], schedule: [{ id: 'e1', days: ['2026-03-02'] }] };
    expect(rewritePerson(value, lena, { name: 'X', email: 'x@y' })).toBe(value);
  });

  it('tells whether a value names the person at all', () => {
    expect(mentionsPerson(context, lena)).toBe(true);
    expect(mentionsPerson({ exemptions: [{ replaced: 'p-lena' }] }, { ...lena, names: [], emails: [] })).toBe(true);
    expect(mentionsPerson({ members: [otto] }, lena)).toBe(false);
  });

  it('moves the address at the end of a mail key to the new one', () => {
    expect(rekey('i1:reminder:event-upcoming:e1:-P14D:lena@koeln.example', lena, 'Lena.Unter@koeln.example')).toBe(
      'i1:reminder:event-upcoming:e1:-P14D:lena.unter@koeln.example',
    );
    expect(rekey('i1:reminder:event-upcoming:e1:-P14D:otto@koeln.example', lena, 'x@y')).toBe(
      'i1:reminder:event-upcoming:e1:-P14D:otto@koeln.example',
    );
    expect(rekey('i1:k:lena@koeln.example', lena, undefined)).toBe('i1:k:lena@koeln.example');
  });

  it("leaves out other people's addresses in an export, keeping their names", () => {
    expect(withoutOthersAddresses(context, lena)).toEqual({
      ...context,
      members: [context.members[0], { ...otto, email: null }],
    });
  });
});

describe('copies of a network name', () => {
  const network = { oldName: 'Netzwerk Koln', name: 'Netzwerk Köln' };

  it('renames it where the old name stands in what the workflow sends, and nothing else', () => {
    expect(renameNetwork({ data: { networkName: 'Netzwerk Koln', place: 'Köln' } }, network)).toEqual({
      data: { networkName: 'Netzwerk Köln', place: 'Köln' },
    });
    const other = { data: { networkName: 'Netzwerk Bonn' } };
    expect(renameNetwork(other, network)).toBe(other);
  });
});
