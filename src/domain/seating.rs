//! Capacity and the waiting list.
//!
//! Seats count "yes" answers plus their companions; a "maybe" holds no seat.
//! A "yes" that does not fit waits, first come first served, and the head of
//! the list is promoted as soon as its whole party fits. The list is strict:
//! a small party never jumps ahead of a larger one that arrived first.

/// Where a "yes" lands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    Seated,
    Waitlisted,
}

/// A guest who already holds seats asked for more than remain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotEnoughSeats {
    pub seats_left: u32,
}

/// What the rest of the event looks like to one guest's "yes".
#[derive(Debug, Clone, Copy)]
pub struct SeatContext {
    pub capacity: Option<u32>,
    /// Seats held by everyone else.
    pub taken_by_others: u32,
    /// Whether she holds seats already (a "yes" changing its companions).
    pub currently_seated: bool,
    /// Whether someone is waiting ahead of her (anyone, for a new "yes").
    pub someone_waiting_ahead: bool,
}

impl SeatContext {
    fn seats_left(&self) -> u32 {
        self.capacity.map_or(u32::MAX, |c| c.saturating_sub(self.taken_by_others))
    }

    /// # Errors
    /// A seated guest whose larger party no longer fits keeps her seats and
    /// is told how many remain, rather than silently losing her place.
    pub fn place(&self, party: u32) -> Result<Placement, NotEnoughSeats> {
        let fits = party <= self.seats_left();
        if self.currently_seated {
            return if fits { Ok(Placement::Seated) } else { Err(NotEnoughSeats { seats_left: self.seats_left() }) };
        }
        Ok(if fits && !self.someone_waiting_ahead { Placement::Seated } else { Placement::Waitlisted })
    }
}

/// Which waiting parties to seat, in order: `waiting` is the list in arrival
/// order as (id, party size); `taken` the seats already held.
pub fn promotions<Id: Copy>(capacity: Option<u32>, taken: u32, waiting: &[(Id, u32)]) -> Vec<Id> {
    let mut left = capacity.map_or(u32::MAX, |c| c.saturating_sub(taken));
    let mut promoted = Vec::new();
    for &(id, party) in waiting {
        if party > left {
            break;
        }
        left -= party;
        promoted.push(id);
    }
    promoted
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ctx(capacity: Option<u32>, taken: u32, seated: bool, waiting: bool) -> SeatContext {
        SeatContext { capacity, taken_by_others: taken, currently_seated: seated, someone_waiting_ahead: waiting }
    }

    #[test]
    fn placement_table() {
        use Placement::{Seated, Waitlisted};
        let cases = [
            (ctx(None, 1000, false, false), 5, Ok(Seated)),
            (ctx(Some(10), 8, false, false), 2, Ok(Seated)),
            (ctx(Some(10), 8, false, false), 3, Ok(Waitlisted)),
            (ctx(Some(10), 0, false, true), 1, Ok(Waitlisted)),
            (ctx(Some(10), 8, true, true), 2, Ok(Seated)),
            (ctx(Some(10), 8, true, false), 3, Err(NotEnoughSeats { seats_left: 2 })),
        ];
        for (context, party, expected) in cases {
            assert_eq!(context.place(party), expected, "{context:?} party {party}");
        }
    }

    #[test]
    fn promotion_stops_at_the_first_party_that_does_not_fit() {
        assert_eq!(promotions(Some(10), 7, &[('a', 2), ('b', 3), ('c', 1)]), vec!['a']);
        assert_eq!(promotions(Some(10), 7, &[('a', 1), ('b', 2)]), vec!['a', 'b']);
        assert_eq!(promotions(None, 7, &[('a', 50)]), vec!['a']);
        assert!(promotions(Some(5), 9, &[('a', 1)]).is_empty());
    }

    proptest! {
        #[test]
        fn promotions_never_overfill(capacity in 1u32..50, taken in 0u32..60, parties in prop::collection::vec(1u32..6, 0..20)) {
            let waiting: Vec<(usize, u32)> = parties.iter().copied().enumerate().collect();
            let promoted = promotions(Some(capacity), taken, &waiting);
            let seated: u32 = promoted.iter().map(|&i| parties[i]).sum();
            prop_assert!(taken >= capacity && seated == 0 || taken + seated <= capacity);
            // Promoted guests are exactly a prefix of the list.
            prop_assert_eq!(promoted, (0..promoted_len(&waiting, capacity, taken)).collect::<Vec<_>>());
        }
    }

    fn promoted_len(waiting: &[(usize, u32)], capacity: u32, taken: u32) -> usize {
        let mut left = capacity.saturating_sub(taken);
        waiting
            .iter()
            .take_while(|(_, p)| {
                if *p <= left {
                    left -= p;
                    true
                } else {
                    false
                }
            })
            .count()
    }
}
