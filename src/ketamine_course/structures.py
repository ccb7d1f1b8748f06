"""Chemical structures of ketamine, its enantiomers and phencyclidine.

Structures come from ``data/structures.csv`` as SMILES and are drawn with
RDKit. The shared arylcyclohexylamine core (an aryl ring and an amine on the
same cyclohexane carbon) is highlighted, and the chiral centre is labelled.
"""

from __future__ import annotations

from . import data

#: The arylcyclohexylamine core as a SMARTS pattern: an aromatic ring and a
#: nitrogen attached to the same carbon of a six-membered carbon ring.
CORE_SMARTS = "c1ccccc1[CR1]1([NX3])[CR1][CR1][CR1][CR1][CR1]1"


def molecules() -> list[dict]:
    """Rows of ``structures.csv`` with an RDKit molecule under ``"mol"``."""
    from rdkit import Chem

    rows = data.load_table("structures")
    out = []
    for row in rows:
        mol = Chem.MolFromSmiles(row["smiles"])
        if mol is None:
            raise ValueError(f"structures.csv: SMILES for {row['name']} does not parse: {row['smiles']}")
        out.append(dict(row, mol=mol))
    return out


def formula(mol) -> str:
    """Molecular formula computed from the structure (Hill order)."""
    from rdkit.Chem import rdMolDescriptors

    return rdMolDescriptors.CalcMolFormula(mol)


def molar_mass_g_per_mol(mol) -> float:
    """Average molar mass, g/mol."""
    from rdkit.Chem import Descriptors

    return Descriptors.MolWt(mol)


def chiral_centres(mol) -> list[tuple[int, str]]:
    """(atom index, CIP label) of every stereocentre; ``'?'`` where unassigned (racemic)."""
    from rdkit import Chem

    return Chem.FindMolChiralCenters(mol, includeUnassigned=True, useLegacyImplementation=False)


def describe_stereo(mol) -> str:
    """Plain-language stereochemistry: 'none', '1 centre: S', '1 centre: unassigned (racemic)'."""
    centres = chiral_centres(mol)
    if not centres:
        return "none"
    labels = [label if label != "?" else "unassigned (racemic)" for _, label in centres]
    return f"{len(centres)} centre{'s' if len(centres) > 1 else ''}: {', '.join(labels)}"


def core_atoms(mol) -> tuple[int, ...]:
    """Atoms of the arylcyclohexylamine core, or () if the molecule lacks it."""
    from rdkit import Chem

    match = mol.GetSubstructMatch(Chem.MolFromSmarts(CORE_SMARTS))
    return tuple(match)


def grid_svg(width_px: int = 260, height_px: int = 230) -> str:
    """The four structures side by side as SVG, core highlighted, stereocentre labelled."""
    return _grid(width_px, height_px, svg=True)


def grid_png(width_px: int = 260, height_px: int = 230) -> bytes:
    """The same grid as PNG bytes."""
    return _grid(width_px, height_px, svg=False)


def _grid(width_px, height_px, svg):
    from rdkit.Chem import AllChem
    from rdkit.Chem.Draw import rdMolDraw2D

    from . import style

    rows = molecules()
    n = len(rows)
    drawer = (rdMolDraw2D.MolDraw2DSVG if svg else rdMolDraw2D.MolDraw2DCairo)(
        width_px * n, height_px, width_px, height_px)
    opts = drawer.drawOptions()
    opts.addStereoAnnotation = True
    opts.legendFontSize = 16
    opts.setBackgroundColour((1, 1, 1, 1))
    opts.fixedBondLength = 28
    hex_colour = style.PALETTE["sky_blue"].lstrip("#")
    rgb = tuple(int(hex_colour[i:i + 2], 16) / 255 for i in (0, 2, 4))
    mols, atoms, bonds, atom_colours, bond_colours, legends = [], [], [], [], [], []
    for row in rows:
        core = set(core_atoms(row["mol"]))  # before kekulisation, which hides aromaticity
        mol = rdMolDraw2D.PrepareMolForDrawing(row["mol"])
        AllChem.Compute2DCoords(mol, canonOrient=True)
        core_bonds = [b.GetIdx() for b in mol.GetBonds()
                      if b.GetBeginAtomIdx() in core and b.GetEndAtomIdx() in core]
        mols.append(mol)
        atoms.append(sorted(core))
        bonds.append(core_bonds)
        atom_colours.append({a: rgb for a in core})
        bond_colours.append({b: rgb for b in core_bonds})
        legends.append(row["name"])
    drawer.DrawMolecules(mols, highlightAtoms=atoms, highlightBonds=bonds, highlightAtomColors=atom_colours,
                         highlightBondColors=bond_colours, legends=legends)
    drawer.FinishDrawing()
    return drawer.GetDrawingText()
