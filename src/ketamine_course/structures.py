"""Chemical structures of ketamine, its enantiomers and phencyclidine.

Structures come from ``data/structures.csv`` as SMILES and are read with
RDKit. This module checks them (formula, molar mass, chiral centres) and finds
the shared arylcyclohexylamine core (an aryl ring and an amine on the same
cyclohexane carbon); :func:`ketamine_course.diagrams.structure_grid` draws
them with the core highlighted and the chiral centre labelled.
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
