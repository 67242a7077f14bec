variable "cidr" {
  type = string
}

# With a virtual private gateway too, or a spare internet gateway attached to no VPC.
variable "with_vgw" {
  type = bool
}

resource "aws_vpc" "this" {
  cidr_block = var.cidr
}

resource "aws_internet_gateway" "this" {
  vpc_id = aws_vpc.this.id
}

resource "aws_vpn_gateway" "this" {
  count  = var.with_vgw ? 1 : 0
  vpc_id = aws_vpc.this.id
}

resource "aws_internet_gateway" "spare" {
  count = var.with_vgw ? 0 : 1
}

resource "aws_subnet" "public" {
  vpc_id                  = aws_vpc.this.id
  cidr_block              = cidrsubnet(var.cidr, 8, 1)
  availability_zone       = "us-east-1a"
  map_public_ip_on_launch = true
}

resource "aws_subnet" "appliance" {
  vpc_id                  = aws_vpc.this.id
  cidr_block              = cidrsubnet(var.cidr, 8, 2)
  availability_zone       = "us-east-1a"
  map_public_ip_on_launch = true
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.this.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.this.id
  }
}

resource "aws_route_table_association" "public" {
  for_each       = { public = aws_subnet.public.id, appliance = aws_subnet.appliance.id }
  subnet_id      = each.value
  route_table_id = aws_route_table.public.id
}

# An inspection appliance: traffic from the internet to the public subnet goes through it,
# by the edge route table the root associates with the internet gateway.
resource "aws_network_interface" "appliance" {
  subnet_id         = aws_subnet.appliance.id
  source_dest_check = false
}

resource "aws_route_table" "edge" {
  vpc_id = aws_vpc.this.id

  route {
    cidr_block           = cidrsubnet(var.cidr, 8, 1)
    network_interface_id = aws_network_interface.appliance.id
  }
}

output "edge_route_table_id" {
  value = aws_route_table.edge.id
}

output "igw_id" {
  value = aws_internet_gateway.this.id
}

output "other_gateway_id" {
  value = var.with_vgw ? aws_vpn_gateway.this[0].id : aws_internet_gateway.spare[0].id
}
