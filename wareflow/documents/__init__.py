"""Order documents: attached by merchants (labels, invoices, customs) or generated (packing
slips and pick lists as PDF with Code 128 barcodes)."""
