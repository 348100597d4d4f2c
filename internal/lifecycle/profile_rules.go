package lifecycle

// checkOpenPerProduct holds the applications one response shows of each
// profile against one-open-application-per-product: adding a product the
// profile already has open is refused (409, code 202), so no change, a
// revert included, may leave two open applications of one product
// (decision D87, docs/decisions.md). Open: not hidden and not in a terminal
// status. An application without hidden (decision D116) that a revert
// replaced (revert_mode new_application) is taken as hidden: the target
// does not say, and the revert says it is. Every snapshot of one body was
// taken at one moment, so two open ones there are a fact, not a race.
func (c *Checker) checkOpenPerProduct(o *observation, snaps []found) {
	type key struct{ profile, product string }
	first := map[key]string{}
	for _, f := range snaps {
		a := f.app
		if f.profileID == "" || a.Product == nil || c.m.Terminal(a.Status) {
			continue
		}
		if a.Hidden != nil && *a.Hidden {
			continue
		}
		if rec := c.apps[a.ID]; a.Hidden == nil && rec != nil && rec.expectHidden {
			continue
		}
		product := a.Product.ID
		if product == "" {
			product = a.Product.Alias
		}
		if product == "" {
			continue
		}
		k := key{f.profileID, product}
		if prev, ok := first[k]; ok {
			o.emit(inv(invOneOpenPerProduct, "",
				"profile %s: applications %s and %s of product %s are both open (%s)", f.profileID, prev, a.ID, productName(a.Product), a.Status), f.pointer)
			continue
		}
		first[k] = a.ID
	}
}

// productName names a product by alias, or by id when it has none.
func productName(p *productRef) string {
	if p.Alias != "" {
		return p.Alias
	}
	return p.ID
}
