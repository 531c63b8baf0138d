import { describe, expect, it } from '@jest/globals';
import { correctEnrolment, correctGroup, holdsPerson, renameEnrolmentNetwork } from './corrections.js';
import type { EnrolmentContext, GroupContext, IssuedCertificate, Member } from './model.js';

const lena: Member = {
  personId: 'p-lena',
  name: 'Lena Unter',
  email: 'lena@koeln.example',
  language: 'de',
  supervision: 'lower',
  office: 'Schulamt Köln',
};
const otto: Member = {
  personId: 'p-otto',
  name: 'Otto Ober',
  email: 'otto@koeln.example',
  language: 'de',
  supervision: 'upper',
  office: 'Bezirksregierung Köln',
};
const certificate = (member: Member) =>
  ({
    certificateId: `c-${member.personId}`,
    personId: member.personId,
    personName: member.name,
    code: 'ABCD-EFGH-JKLM',
  }) as IssuedCertificate;
const enrolment = {
  enrolmentId: 'e1',
  networkId: 'n1',
  networkName: 'Netzwerk Koln',
  members: [lena, otto],
  certificates: [certificate(lena), certificate(otto)],
} as EnrolmentContext;
const group = {
  groupId: 'g1',
  moderators: [{ personId: 'p-mona', name: 'Mona', email: 'mona@institut.example', language: 'de' }],
  roster: [
    {
      enrolmentId: 'e1',
      tandemId: 't1',
      districtId: 'koeln',
      members: [lena, otto],
      since: '2026-01-05T09:00:00.000Z',
    },
  ],
  waitingList: [],
} as unknown as GroupContext;

describe('corrections of copied master data', () => {
  it("corrects the person in an enrolment, its certificate's name with it, and leaves the partner alone", () => {
    const corrected = correctEnrolment(enrolment, {
      type: 'PERSON_CORRECTED',
      personId: 'p-lena',
      email: 'lena.unter@koeln.example',
      name: 'Lena Unterberg',
    });
    expect(corrected.members).toEqual([{ ...lena, email: 'lena.unter@koeln.example', name: 'Lena Unterberg' }, otto]);
    expect(corrected.members[1]).toBe(otto);
    expect(corrected.certificates.map((c) => c.personName)).toEqual(['Lena Unterberg', 'Otto Ober']);
  });

  it('pseudonymises the person everywhere but on the certificate issued to them', () => {
    const pseudonymised = correctEnrolment(enrolment, {
      type: 'PERSON_PSEUDONYMISED',
      personId: 'p-lena',
      name: 'Pseudonym p-lena',
      email: 'pseudonymised:p-lena',
    });
    expect(pseudonymised.members[0]).toMatchObject({
      name: 'Pseudonym p-lena',
      email: 'pseudonymised:p-lena',
      supervision: 'lower',
    });
    expect(pseudonymised.certificates).toBe(enrolment.certificates);
  });

  it("reaches a group's seated tandems and its moderators", () => {
    const seated = correctGroup(group, { type: 'PERSON_CORRECTED', personId: 'p-otto', language: 'en' });
    expect(seated.roster[0].members.map((m) => m.language)).toEqual(['de', 'en']);
    const moderator = correctGroup(group, {
      type: 'PERSON_CORRECTED',
      personId: 'p-mona',
      email: 'mona.m@institut.example',
    });
    expect(moderator.moderators[0].email).toBe('mona.m@institut.example');
    expect([holdsPerson(group, 'p-lena'), holdsPerson(group, 'p-mona'), holdsPerson(group, 'p-else')]).toEqual([
      true,
      true,
      false,
    ]);
  });

  it('renames the network an enrolment copied, only its own', () => {
    expect(
      renameEnrolmentNetwork(enrolment, { type: 'NETWORK_RENAMED', networkId: 'n1', networkName: 'Netzwerk Köln' })
        .networkName,
    ).toBe('Netzwerk Köln');
    expect(
      renameEnrolmentNetwork(enrolment, { type: 'NETWORK_RENAMED', networkId: 'n2', networkName: 'Netzwerk Bonn' }),
    ).toBe(enrolment);
  });
});
