//! Which addresses a webhook may reach. An organiser's URL must not turn the
//! server into a way into its own network: loopback, private, link-local,
//! shared (CGNAT) and cloud-metadata addresses are refused, after DNS
//! resolution and at every attempt, unless the operator allows a range.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// An address range: `10.0.0.0/8`, `::1/128`, or one address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Network {
    base: IpAddr,
    prefix: u8,
}

impl Network {
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.base, canonical(ip)) {
            (IpAddr::V4(base), IpAddr::V4(ip)) => {
                let mask = u32::MAX.checked_shl(32 - u32::from(self.prefix)).unwrap_or(0);
                u32::from(base) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(base), IpAddr::V6(ip)) => {
                let mask = u128::MAX.checked_shl(128 - u32::from(self.prefix)).unwrap_or(0);
                u128::from(base) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

/// Reads the operator's comma-separated list.
///
/// # Errors
/// Names the entry that is not an address or a range.
pub fn parse_networks(raw: &str) -> Result<Vec<Network>, String> {
    raw.split(',').map(str::trim).filter(|s| !s.is_empty()).map(parse_network).collect()
}

fn parse_network(raw: &str) -> Result<Network, String> {
    let bad = || format!("{raw:?} is not an address or a range such as 10.0.0.0/8");
    let (ip, prefix) = match raw.split_once('/') {
        Some((ip, prefix)) => (ip, Some(prefix.parse::<u8>().map_err(|_| bad())?)),
        None => (raw, None),
    };
    let base: IpAddr = ip.parse().map_err(|_| bad())?;
    let max = if base.is_ipv4() { 32 } else { 128 };
    let prefix = prefix.unwrap_or(max);
    if prefix > max {
        return Err(bad());
    }
    Ok(Network { base, prefix })
}

/// An IPv4 address written as IPv6 (`::ffff:127.0.0.1`) is judged as IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        IpAddr::V4(_) => ip,
    }
}

/// Whether `ip` is one a webhook must not reach on its own: anything but a
/// public unicast address.
pub fn is_internal(ip: IpAddr) -> bool {
    match canonical(ip) {
        IpAddr::V4(v4) => internal_v4(v4),
        IpAddr::V6(v6) => internal_v6(v6),
    }
}

fn internal_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        // 169.254.0.0/16, where 169.254.169.254 answers with cloud credentials.
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        // Shared address space (carrier NAT; Alibaba's metadata at 100.100.100.200).
        || (a == 100 && (64..128).contains(&b))
        // IETF protocol assignments, benchmarking, reserved.
        || (a == 192 && b == 0 && ip.octets()[2] == 0)
        || (a == 198 && (b == 18 || b == 19))
        || a >= 240
}

fn internal_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        // Unique local (fc00::/7, AWS's metadata at fd00:ec2::254), link-local, site-local.
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
        || (first & 0xffc0) == 0xfec0
        // Documentation.
        || (first == 0x2001 && ip.segments()[1] == 0x0db8)
        // NAT64 and IPv4-compatible forms, judged by the IPv4 inside.
        || (ip.segments()[..6] == [0x64, 0xff9b, 0, 0, 0, 0] && internal_v4(embedded_v4(ip)))
        || (ip.segments()[..6] == [0, 0, 0, 0, 0, 0] && internal_v4(embedded_v4(ip)))
}

fn embedded_v4(ip: Ipv6Addr) -> Ipv4Addr {
    let [.., a, b, c, d] = ip.octets();
    Ipv4Addr::new(a, b, c, d)
}

/// Whether a webhook may go to `ip`: public, or in a range the operator allows.
pub fn permitted(ip: IpAddr, allowed: &[Network]) -> bool {
    !is_internal(ip) || allowed.iter().any(|n| n.contains(ip))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(raw: &str) -> IpAddr {
        raw.parse().unwrap()
    }

    #[test]
    fn internal_addresses_are_refused() {
        for raw in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.100.100.200",
            "0.0.0.0",
            "::1",
            "::",
            "fe80::1",
            "fd00:ec2::254",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "64:ff9b::a00:1",
            "224.0.0.1",
        ] {
            assert!(!permitted(ip(raw), &[]), "{raw} must be refused");
        }
        for raw in ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c", "64:ff9b::5db8:d70e"] {
            assert!(permitted(ip(raw), &[]), "{raw} is public");
        }
    }

    #[test]
    fn the_operator_may_allow_ranges() {
        let allowed = parse_networks("127.0.0.1, 10.0.0.0/8,fd00::/8").unwrap();
        assert!(permitted(ip("127.0.0.1"), &allowed));
        assert!(!permitted(ip("127.0.0.2"), &allowed));
        assert!(permitted(ip("10.200.0.1"), &allowed));
        assert!(permitted(ip("::ffff:127.0.0.1"), &allowed));
        assert!(permitted(ip("fd12::1"), &allowed));
        assert!(!permitted(ip("192.168.0.1"), &allowed));
        assert!(parse_networks("").unwrap().is_empty());
        assert!(parse_networks("10.0.0.0/33").is_err());
        assert!(parse_networks("localhost").is_err());
    }
}
