import { describe, expect, it } from 'vitest';
import { AddressPolicy, checkAddress } from './address-policy.ts';

describe('checkAddress', () => {
  it.each([
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.254', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.254', 'carrier-grade NAT'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['127.0.0.1', 'loopback'],
    ['127.0.0.2', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'this network'],
    ['255.255.255.255', 'broadcast'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['192.0.0.8', 'IETF protocol assignments'],
    ['192.0.2.1', 'documentation'],
    ['198.18.0.1', 'benchmarking'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.9', 'documentation'],
    ['240.0.0.1', 'reserved'],
    ['::1', 'IPv6 loopback'],
    ['::', 'IPv6 unspecified'],
    ['fc00::1', 'unique local'],
    ['fd12:3456:789a::1', 'unique local'],
    ['fe80::1', 'link-local'],
    ['febf::1', 'link-local'],
    ['fec0::1', 'site-local (deprecated)'],
    ['ff02::1', 'multicast'],
    ['::ffff:10.0.0.1', 'IPv4-mapped private'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:169.254.169.254', 'IPv4-mapped link-local'],
    ['::ffff:8.8.8.8', 'IPv4-mapped (refused whatever it maps to)'],
    ['::10.0.0.1', 'IPv4-compatible'],
    ['64:ff9b::a00:1', 'NAT64 of 10.0.0.1'],
    ['2002:a00:1::1', '6to4 of 10.0.0.1'],
    ['2001:0:4136:e378::1', 'Teredo'],
    ['2001:db8::1', 'documentation'],
    ['100::1', 'discard'],
    ['not-an-ip', 'not an address'],
    ['', 'empty'],
  ])('refuses %s (%s)', (address) => {
    expect(checkAddress(address).allowed).toBe(false);
  });

  it.each(['8.8.8.8', '1.1.1.1', '93.184.215.14', '151.101.1.69', '2606:4700:4700::1111', '2a00:1450:4001:82b::200e'])(
    'allows the public address %s',
    (address) => {
      expect(checkAddress(address)).toEqual({ allowed: true });
    },
  );

  it('says why it refuses', () => {
    expect(checkAddress('169.254.169.254')).toEqual({ allowed: false, reason: expect.stringContaining('linkLocal') });
  });
});

describe('AddressPolicy', () => {
  const policy = new AddressPolicy(['127.0.0.1', 'Intranet.Example.', '[::1]']);

  it('lets a listed host through to whatever it resolves to, on any port', () => {
    expect(policy.checkResolved('127.0.0.1', '127.0.0.1').allowed).toBe(true);
    expect(policy.checkResolved('intranet.example', '10.1.2.3').allowed).toBe(true);
    expect(policy.checkResolved('[::1]', '::1').allowed).toBe(true);
    expect(policy.checkPort('127.0.0.1', 8080).allowed).toBe(true);
  });

  it('judges a host that is not listed by the address, even when that address is listed as a host', () => {
    expect(policy.checkResolved('localhost', '127.0.0.1').allowed).toBe(false);
    expect(policy.checkResolved('127.0.0.2', '127.0.0.2').allowed).toBe(false);
    expect(policy.checkResolved('example.com', '93.184.215.14').allowed).toBe(true);
  });

  it('allows only ports 80 and 443 to hosts that are not listed', () => {
    expect(policy.checkPort('example.com', 80).allowed).toBe(true);
    expect(policy.checkPort('example.com', 443).allowed).toBe(true);
    expect(policy.checkPort('example.com', 8080).allowed).toBe(false);
    expect(policy.checkPort('example.com', 22).allowed).toBe(false);
  });

  it('allows nothing internal by default', () => {
    const strict = new AddressPolicy();
    expect(strict.checkResolved('127.0.0.1', '127.0.0.1').allowed).toBe(false);
    expect(strict.checkResolved('[::1]', '::1').allowed).toBe(false);
  });
});
